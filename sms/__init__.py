"""The SMS channel: Twilio's messaging webhook."""
