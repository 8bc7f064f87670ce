"""The voice channel: Twilio's voice webhooks and the menu a caller walks."""
