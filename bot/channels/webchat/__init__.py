"""Web chat: Rasa's REST channel on server-issued conversation ids (``input``) and the
mailbox for messages nobody asked for (``mailbox``)."""
