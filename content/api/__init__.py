"""API of the content library (DRF), one module per part: kits and their workflow
actions, the guideline check, field stories. Every write is one call into a service."""
