"""rasa-sdk custom actions, one module per customer journey."""
