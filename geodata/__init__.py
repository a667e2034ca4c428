"""Places → numbers: boundaries, coordinate systems, distances, travel times, eligible pairs.

Everything here works in WGS-84 longitude/latitude (EPSG:4326); inputs in GCJ-02, BD-09 or
CGCS2000 are converted by :mod:`geodata.crs` first. ``matcher`` never imports this package.
"""
