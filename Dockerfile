# The plangraph API (and CLI) image, used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY api ./api
COPY data ./data
RUN pip install --no-cache-dir .
ENV PLANGRAPH_BACKEND=neo4j
EXPOSE 8000
CMD ["plangraph", "serve", "--host", "0.0.0.0", "--port", "8000", "--backend", "neo4j"]
