"""The engine's methods: immutable problem arrays in, an exact result out."""
