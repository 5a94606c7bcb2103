"""The text toolkit every adapter shares: Markdown to plain text and HTML, sentences,
counters, the spoken form of numbers and dates, date formatting and languages."""
