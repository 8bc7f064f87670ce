"""Roster import: the office's spreadsheets of courtyards and households."""
