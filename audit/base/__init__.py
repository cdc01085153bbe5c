"""The foundation every stage stands on: errors, the canonical records and their columns, limits,
safe text, text and spreadsheet input, rates, countries, vocabularies, the production file, atomic
outputs, where data lives, and the French/English catalogue. It imports nothing above it.
"""
