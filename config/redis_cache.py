"""Django's Redis cache, keeping one Redis client per connection pool and reading many
keys without the work Redis does not need.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` object for every
cache call. Building one fills a table of about 170 response callbacks: on a cached
page, which takes one cache round trip, that was a large part of the whole request
(docs/decisions.md). A `redis.Redis` object is safe to
share between threads (it takes a connection from its pool per command), so one per
pool is kept and reused.

`get_many` is the cached page's one round trip (reader/cache.py). Django's checks
every key against memcached's limits, which Redis does not have, and its serializer
tries `int()` on every value first, raising an exception for each pickled one; here a
pickled value is recognised by its first byte instead. Everything else is Django's own
backend.
"""

import pickle

from django.core.cache.backends.redis import RedisCache, RedisCacheClient, RedisSerializer

# Protocol 2 and later (Django pickles with the highest) begin with the PROTO opcode.
_PICKLED = pickle.PROTO[0]


class FirstByteRedisSerializer(RedisSerializer):
    def loads(self, data):
        # Django stores integers unpickled (for incr and decr), everything else pickled.
        if data[:1] and data[0] == _PICKLED:
            return pickle.loads(data)
        return int(data)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        if self._serializer.protocol >= 2:
            self._serializer = FirstByteRedisSerializer(protocol=self._serializer.protocol)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get_many(self, keys, version=None):
        # Keys are made, not checked: the check only warns of keys memcached would refuse.
        made = {self.make_key(key, version=version): key for key in keys}
        return {made[key]: value for key, value in self._cache.get_many(list(made)).items()}
