"""sqlmodel tables, the queries the domain needs, engine set-up and migrations."""
