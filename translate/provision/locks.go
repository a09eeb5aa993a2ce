package provision

import (
	"slices"
	"sync"
)

// keyedMutex serialises work on one object within the process.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[lockKey]*keyedLock
}

// lockKey names one object: its kind ("user", "group") and id.
type lockKey struct {
	kind string
	id   int64
}

type keyedLock struct {
	sync.Mutex
	refs int
}

// lockMany locks several objects of one kind, in ascending id order so
// that two callers can never wait on each other, and returns the function
// that unlocks them all.
func (k *keyedMutex) lockMany(kind string, ids []int64) func() {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	unlocks := make([]func(), 0, len(sorted))
	for _, id := range sorted {
		unlocks = append(unlocks, k.lock(kind, id))
	}
	return func() {
		for _, u := range unlocks {
			u()
		}
	}
}

// lock locks key and returns its unlock function.
func (k *keyedMutex) lock(kind string, id int64) func() {
	key := lockKey{kind, id}
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[lockKey]*keyedLock{}
	}
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.refs--; l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}
