"""The store contract on both engines: the same counts, errors, limits and parameter handling from the
embedded store and from Neo4j (each test runs once per engine; see tests/conftest.py::samples_store)."""

from __future__ import annotations

from typing import Any

import pytest

from plangraph.errors import QueryError
from plangraph.store.counts import stats
from plangraph.store.guard import run_user_query


def test_store_counts_match_samples(samples_store: Any) -> None:
    counts = stats(samples_store)
    assert counts["nodes"]["Plan"] == 5
    assert counts["nodes"]["Task"] == 334
    assert counts["nodes"]["Indicator"] == 72  # see test_targets
    assert counts["relationships"]["HAS_TASK"] == 334
    assert counts["relationships"]["ISSUED_BY"] == 5


def test_stats_count_every_label_and_relationship_type_of_the_contract(samples_store: Any) -> None:
    """`plangraph stats` and GET /stats leave out nothing the graph contract holds (SUCCEEDED_BY went uncounted
    while the counts were hand-kept files)."""
    from plangraph.schema import NODE_PROPERTIES, REL_TYPES

    counts = stats(samples_store)
    assert list(counts["nodes"]) == list(NODE_PROPERTIES)
    assert list(counts["relationships"]) == [rel.name for rel in REL_TYPES]
    assert (
        counts["relationships"]["SUCCEEDED_BY"]
        == samples_store.run("MATCH ()-[r:SUCCEEDED_BY]->() RETURN count(r)").rows[0][0]
    )


def test_store_bad_query_is_a_query_error(samples_store: Any) -> None:
    with pytest.raises(QueryError):
        samples_store.run_read("MATCH (n:Task RETURN n")
    with pytest.raises(QueryError):
        samples_store.run_read("RETURN no_such_function(1)")
    if samples_store.backend == "embedded":  # a label outside the schema is an error to the embedded engine
        with pytest.raises(QueryError):
            samples_store.run_read("MATCH (n:NoSuchLabel) RETURN n")
    else:  # and to Neo4j a notification: no rows
        assert samples_store.run_read("MATCH (n:NoSuchLabel) RETURN n").rows == ()


def test_store_row_limit_truncates(samples_store: Any) -> None:
    result = samples_store.run_read("MATCH (t:Task) RETURN t.id", row_limit=7)
    assert len(result.rows) == 7 and result.truncated


def test_store_parameters_are_not_interpolated(samples_store: Any) -> None:
    hostile = "x' OR 1=1 //"
    result = samples_store.run_read("MATCH (t:Task) WHERE t.ref = $ref RETURN count(t)", {"ref": hostile})
    assert result.rows[0][0] == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [("RETURN 1; RETURN 2", "several statements"), ("", "empty"), (" ; ", "empty"), ("MATCH (", "not valid Cypher")],
)
def test_user_query_must_be_one_statement(samples_store: Any, query: str, message: str) -> None:
    # "RETURN 1; RETURN 2" crashed the embedded engine (segmentation fault) before this check.
    with pytest.raises(QueryError, match=message):
        run_user_query(samples_store, query)


def test_semicolons_in_strings_and_comments_are_not_statements(samples_store: Any) -> None:
    assert run_user_query(samples_store, "RETURN 'a;b' AS x // c;d").rows == (("a;b",),)
    assert run_user_query(samples_store, "RETURN 1 /* ; */ AS y;").rows == ((1,),)


@pytest.mark.parametrize("params", [{"a": [0, ""]}, {"": [0, ""]}, {"a": 2**70}])
def test_unbindable_parameters_are_query_errors(samples_store: Any, params: dict) -> None:
    # Found by the schemathesis run over POST /cypher: these were engine failures (HTTP 503). Neo4j takes a list
    # of mixed types; a nameless parameter and an integer past 64 bits it cannot take either.
    if samples_store.backend == "neo4j" and params == {"a": [0, ""]}:
        assert run_user_query(samples_store, "RETURN 1 AS one", params).rows == ((1,),)
        return
    with pytest.raises(QueryError, match="parameter"):
        run_user_query(samples_store, "RETURN 1 AS one", params)
