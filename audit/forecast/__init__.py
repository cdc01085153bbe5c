"""The forecast footprint: a plan of the AI work before the first prompt, estimated by the final
report's own path, and set against the final footprint.
"""
