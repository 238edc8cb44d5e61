"""``wiretrace serve``: the application and its routes (:mod:`.app`), background jobs
(:mod:`.jobs`) and the API description generated from its endpoints (:mod:`.openapi`)."""
