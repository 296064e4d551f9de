"""The taxonomy: stakeholders, demands and talk rounds with en/uk/ru names; tagging; stances."""
