package translate

import (
	"context"
	"slices"
	"strconv"
	"sync"

	"github.com/hector-scim/hector-scim/legacyclient"
)

// Defaults of [Config].
const (
	DefaultMaxFilterScan = 10000
	// MaxResults is the largest page a list answers (advertised in
	// ServiceProviderConfig filter.maxResults); it equals Hector's
	// per_page limit.
	MaxResults = 100
)

// Config configures a [Service].
type Config struct {
	// Mapping is the compiled field mapping; nil means the default.
	Mapping *Mapping
	// HardDelete makes DELETE /Users/{id} delete the Hector user instead of
	// disabling it.
	HardDelete bool
	// MaxFilterScan bounds the Hector users a filter evaluated in memory may
	// scan; beyond it the answer is 400 tooMany. Default 10000.
	MaxFilterScan int
	// Roles are the group → role rules; the zero value assigns no roles.
	Roles Roles
	// Audit receives every change written to Hector; nil discards them.
	Audit Auditor
}

// Service runs SCIM operations against Hector through a legacy client. It
// is safe for concurrent use and keeps no state beyond per-object locks
// that serialise read-modify-write sequences within the process.
type Service struct {
	hector  *legacyclient.Client
	mapping *Mapping
	cfg     Config
	audit   Auditor
	locks   keyedMutex
}

// NewService returns a Service over a legacy client.
func NewService(hector *legacyclient.Client, cfg Config) (*Service, error) {
	if cfg.Mapping == nil {
		m, err := NewMapping(nil)
		if err != nil {
			return nil, err
		}
		cfg.Mapping = m
	}
	if cfg.MaxFilterScan <= 0 {
		cfg.MaxFilterScan = DefaultMaxFilterScan
	}
	audit := cfg.Audit
	if audit == nil {
		audit = nopAuditor{}
	}
	return &Service{hector: hector, mapping: cfg.Mapping, cfg: cfg, audit: audit}, nil
}

// Mapping returns the service's field mapping.
func (s *Service) Mapping() *Mapping { return s.mapping }

// parseID reads a SCIM id; an id Hector could not have issued is not found.
func parseID(resource, id string) (int64, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 || strconv.FormatInt(n, 10) != id {
		return 0, notFound(resource, id)
	}
	return n, nil
}

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

// forEach runs fn for each id with bounded concurrency and returns the
// first error.
func forEach(parent context.Context, ids []int64, fn func(context.Context, int64) error) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  = make(chan int64)
	)
	for range min(workers, len(ids)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				if err := fn(ctx, id); err != nil {
					mu.Lock()
					if first == nil {
						first = err
						cancel()
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, id := range ids {
		select {
		case next <- id:
		case <-ctx.Done():
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = parent.Err()
	}
	return first
}
