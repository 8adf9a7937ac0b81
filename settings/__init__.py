"""The bottom layer: configuration (fazhi.toml) and the shipped defaults (fazhi.toml, metrics.toml).

Every other package imports downward from here: transforms, expectations and warehouse may use it, flows
uses them, and the `fazhi` CLI sits on top. Nothing here imports another package of the project.
"""
