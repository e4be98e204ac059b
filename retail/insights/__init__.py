"""Review insights: aspects and sentiment of product reviews, summaries, trends, alerts and shopper tags."""
