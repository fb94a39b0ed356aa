"""The cascade: mandate chains, task lineage, the cascade tree, coverage and gaps."""
