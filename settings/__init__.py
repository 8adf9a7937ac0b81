"""The bottom layer: configuration (fazhi.toml), the shipped defaults (fazhi.toml, metrics.toml), and how an
error reads to a user in one line (errors.py).

Every other package imports downward from here: transforms, expectations and warehouse may use it, flows
uses them, and the `fazhi` CLI sits on top. Nothing here imports another package of the project.
"""
