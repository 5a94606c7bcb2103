"""Releases by e-mail to editors' desks: the message and its SMTP delivery."""
