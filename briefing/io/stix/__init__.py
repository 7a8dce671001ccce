"""STIX 2.1 bundles and MISP events: exchange with threat-intelligence platforms.

:mod:`.ids` names objects, :mod:`.markings` and :mod:`.scales` translate TLP labels,
Admiralty grades and ICD 203 terms, :mod:`.objects` turns records into STIX
objects, :mod:`.export` writes a bundle, :mod:`.reading`, :mod:`.records` and
:mod:`.importer` read one back, and :mod:`.misp` writes a MISP event.
"""
