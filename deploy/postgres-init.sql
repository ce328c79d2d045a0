-- The project's own state lives apart from the billing stub (bot/state).
CREATE DATABASE state OWNER telecom;
