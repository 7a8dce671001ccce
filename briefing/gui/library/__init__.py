"""The library: one filterable, sortable list per kind of record, loaded lazily from SQL."""
