"""chronicle: a static site generator for evidence-backed chronologies.

Stages: load (read and validate) -> link (resolve ids, locate quotes) -> render -> write.
"""
