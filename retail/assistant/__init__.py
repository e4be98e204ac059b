"""The shopping and customer-service assistant: intent, grounding, fallback. No Ray needed.

``retail.assistant.service.Assistant`` runs a turn: classify the intent,
gather context (products from the search path, policy passages), prompt the
chat LLM, validate its answer against the context, and fall back to a
grounded answer (circuit breaker) when the LLM fails or retrieval is unsure.
"""
