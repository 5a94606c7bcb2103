"""The print desk's siaran pers: layout, body blocks, PDF and DOCX, and the adapter."""
