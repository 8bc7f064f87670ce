"""The voice channel: Twilio's voice webhooks."""
