"""The audit layer: what a model's scores mean against outcomes, for groups of children
and under counterfactual cues, whether a version may be promoted, and how all of that is
written out.

- :mod:`.metrics`: metric functions (scikit-learn's point metrics, calibration,
  resampled intervals, the operating threshold, per-group metrics);
- :mod:`.evaluate`: the evaluation result and its assembly;
- :mod:`.external`: the hand-written sets labelled by published levels of need;
- :mod:`.fairness`: group metrics, disparities, proxy check and the fairness report;
- :mod:`.counterfactual`: score shifts when only a protected characteristic's cue changes;
- :mod:`.results`: the flag every audit raises and the JSON-safe form of results;
- :mod:`.gate`: the promotion gate;
- :mod:`.model_card`: what the model card says;
- :mod:`.render`: reports, charts, pages and the model card written out.
"""
