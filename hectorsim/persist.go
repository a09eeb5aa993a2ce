package hectorsim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// flushDelay coalesces the data-file writes that follow a burst of changes.
const flushDelay = 100 * time.Millisecond

// fileVersion is the version of the data file format.
const fileVersion = 1

// fileData is the data file: every user and group with its members.
type fileData struct {
	Version     int         `json:"version"`
	NextUserID  int64       `json:"next_user_id"`
	NextGroupID int64       `json:"next_group_id"`
	Users       []fileUser  `json:"users"`
	Groups      []fileGroup `json:"groups"`
}

type fileUser struct {
	ID        int64      `json:"id"`
	Fields    userFields `json:"fields"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

type fileGroup struct {
	ID         int64     `json:"id"`
	Name       string    `json:"name"`
	ExternalID string    `json:"external_id"`
	Members    []int64   `json:"members"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// persister writes the store to its data file in the background: a change
// wakes it, it waits flushDelay to coalesce more, then writes a snapshot.
type persister struct {
	st   *Store
	path string

	wake chan struct{} // buffered 1: a change happened
	stop chan struct{}
	done chan struct{}

	mu      sync.Mutex // serializes writes; guards the fields below
	written uint64     // store generation last written
	lastErr error
	closed  bool
}

func startPersister(st *Store, path string) *persister {
	p := &persister{
		st: st, path: path, written: st.gen,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
	go p.loop()
	return p
}

// notify wakes the writer without blocking.
func (p *persister) notify() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (p *persister) loop() {
	defer close(p.done)
	t := time.NewTimer(0)
	<-t.C
	for {
		select {
		case <-p.wake:
		case <-p.stop:
			return
		}
		t.Reset(flushDelay)
		select {
		case <-t.C:
		case <-p.stop:
			return
		}
		_ = p.flush()
	}
}

// flush writes a snapshot if the store changed since the last write.
func (p *persister) flush() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	data, gen := p.st.snapshot()
	if gen == p.written {
		return p.lastErr
	}
	b, err := json.Marshal(data)
	if err == nil {
		err = writeFileAtomic(p.path, b)
	}
	if err != nil {
		p.lastErr = fmt.Errorf("data file: %w", err)
		return p.lastErr
	}
	p.written, p.lastErr = gen, nil
	return nil
}

// close stops the writer and flushes once more.
func (p *persister) close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return p.lastErr
	}
	p.closed = true
	p.mu.Unlock()
	close(p.stop)
	<-p.done
	return p.flush()
}

// snapshot copies the state for the data file, and its generation.
func (st *Store) snapshot() (fileData, uint64) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d := fileData{
		Version: fileVersion, NextUserID: st.nextUserID, NextGroupID: st.nextGroupID,
		Users:  make([]fileUser, 0, len(st.userIDs)),
		Groups: make([]fileGroup, 0, len(st.grpIDs)),
	}
	for _, id := range st.userIDs {
		u := st.users[id]
		d.Users = append(d.Users, fileUser{ID: id, Fields: u.fields, CreatedAt: u.createdAt, UpdatedAt: u.updatedAt})
	}
	for _, id := range st.grpIDs {
		g := st.groups[id]
		d.Groups = append(d.Groups, fileGroup{
			ID: id, Name: g.name, ExternalID: g.externalID, Members: append([]int64(nil), g.members...),
			CreatedAt: g.createdAt, UpdatedAt: g.updatedAt,
		})
	}
	return d, st.gen
}

// writeFileAtomic replaces path with data: a temporary file in the same
// directory, synced, then renamed over path, and the directory synced.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename in dir durable where the file system allows it;
// a directory that cannot be synced leaves the rename standing.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
