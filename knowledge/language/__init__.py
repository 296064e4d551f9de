"""Language: words and search tokens, stemming, language detection, uk/ru questions to English."""
