"""tap-akeneo: Singer tap for the Akeneo PIM REST API (through ``akeneo_client``)."""
