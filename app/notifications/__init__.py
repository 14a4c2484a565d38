"""What concerns me: my city's amendment decided or merged, a reply to my comment, the text open
for signature. Written in the transaction of the action that causes it; also sent by e-mail
when the platform has a mail server (app/notifications/mail.py)."""
