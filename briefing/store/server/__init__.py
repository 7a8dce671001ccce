"""A project kept in a PostgreSQL database, for a team: the second implementation of the store."""

from briefing.store.server.address import ServerAddress, is_server_address

__all__ = ["ServerAddress", "is_server_address"]
