"""Scripts for the ear: what radio and TV share (`ear.py`) and each adapter."""
