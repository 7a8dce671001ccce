"""The window's export and exchange dialogs (STIX bundles, MISP events)."""
