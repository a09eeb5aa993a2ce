package hectorsim

import (
	"strings"
	"sync"
	"time"
)

// Store is the simulated Hector state: users, groups and memberships, with
// their indexes and optional persistence. A Store is safe for concurrent
// use. Most callers never see one ([New] makes its own); share one between
// servers with Options.Store, as the Caddy adapter does across reloads.
type Store struct {
	mu sync.RWMutex

	users   map[int64]*user
	userIDs []int64 // ascending
	groups  map[int64]*group
	grpIDs  []int64 // ascending

	byUsername, byEmail, byIdentifier, byUserExt index
	byGroupName, byGroupExt                      index

	nextUserID, nextGroupID int64
	gen                     uint64 // bumped by every write, for persistence

	persist *persister // nil: in memory only
}

// user is one stored user. fields hold the writable fields; an empty
// ExternalID is null.
type user struct {
	id        int64
	fields    userFields
	groups    map[int64]struct{} // ids of the groups the user is a member of
	createdAt time.Time
	updatedAt time.Time
}

// userFields are the writable fields of a user.
type userFields struct {
	Username   string `json:"username"`
	Email      string `json:"email"`
	Identifier string `json:"identifier"`
	FirstName  string `json:"first_name"`
	LastName   string `json:"last_name"`
	ExternalID string `json:"external_id"`
	Status     string `json:"status"`
	Role       string `json:"role"`
	Title      string `json:"title"`
	Department string `json:"department"`
	Phone      string `json:"phone"`
	Locale     string `json:"locale"`
}

// group is one stored group; an empty externalID is null.
type group struct {
	id         int64
	name       string
	externalID string
	members    []int64 // ascending user ids
	createdAt  time.Time
	updatedAt  time.Time
}

// index maps a case-folded unique value to the id that holds it. Empty
// values are never indexed.
type index map[string]int64

// fold is the case-insensitive key of a value, for indexes and filters.
func fold(s string) string { return strings.ToLower(s) }

func (ix index) owner(v string) (int64, bool) {
	if v == "" {
		return 0, false
	}
	id, ok := ix[fold(v)]
	return id, ok
}

// taken reports whether v belongs to an id other than self.
func (ix index) taken(v string, self int64) bool {
	id, ok := ix.owner(v)
	return ok && id != self
}

func (ix index) put(v string, id int64) {
	if v != "" {
		ix[fold(v)] = id
	}
}

func (ix index) drop(v string) {
	if v != "" {
		delete(ix, fold(v))
	}
}

// OpenStore returns a store loaded from dataFile when it exists, persisted
// to it after writes; an empty dataFile gives an in-memory store. Close the
// store to flush it.
func OpenStore(dataFile string) (*Store, error) {
	st := newStore()
	if dataFile == "" {
		return st, nil
	}
	if err := st.load(dataFile); err != nil {
		return nil, err
	}
	st.persist = startPersister(st, dataFile)
	return st, nil
}

func newStore() *Store {
	return &Store{
		users:        make(map[int64]*user),
		groups:       make(map[int64]*group),
		byUsername:   make(index),
		byEmail:      make(index),
		byIdentifier: make(index),
		byUserExt:    make(index),
		byGroupName:  make(index),
		byGroupExt:   make(index),
		nextUserID:   1,
		nextGroupID:  1,
	}
}

// Flush writes the data file now if anything changed since the last write.
// It is a no-op for an in-memory store.
func (st *Store) Flush() error {
	if st.persist == nil {
		return nil
	}
	return st.persist.flush()
}

// Close stops background writes and flushes the data file. It is safe to
// call more than once; writes after Close are kept in memory only.
func (st *Store) Close() error {
	if st.persist == nil {
		return nil
	}
	return st.persist.close()
}

// changed records a write; the caller holds the write lock.
func (st *Store) changed() {
	st.gen++
	if st.persist != nil {
		st.persist.notify()
	}
}
