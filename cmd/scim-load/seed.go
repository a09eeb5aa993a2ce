package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/hector-scim/hector-scim/hectorsim"
)

// seeded is the state seeded into the simulator for the load scenarios.
// User ids are firstLoad… (the load users) then firstPool… (the big
// group's members, also the pool PATCH +100 adds from).
type seeded struct {
	firstLoad, nLoad int64
	firstPool, nPool int64
	bigGroup         int64
	sideGroups       []int64 // PATCH +100 targets of the sidecar phase
	floorGroups      []int64 // PATCH +100 targets of the floor phase
	directGroups     []int64 // PATCH +100 targets of the direct phase
}

// loadUser is the id of the load user operation k works on; consecutive
// operations (those in flight together) touch different users.
func (s seeded) loadUser(k int64) int64 { return s.firstLoad + k%s.nLoad }

// memberChunk is the group and the first of the 100 pool users operation k
// adds: consecutive operations go to different groups (the sidecar
// serializes changes to one group), and each group gets each chunk once
// before the values repeat.
func (s seeded) memberChunk(groups []int64, k int64) (int64, int64) {
	n := int64(len(groups))
	chunk := (k / n) % (s.nPool / 100)
	return groups[k%n], s.firstPool + chunk*100
}

func loadUserName(id int64) string   { return fmt.Sprintf("load-%07d@contoso.example", id) }
func memberUserName(id int64) string { return fmt.Sprintf("member-%07d@contoso.example", id) }

// The simulator's data file, version 1 (hectorsim/persist.go). Loading it
// is much faster than 100,000 POSTs, and the simulator checks every id,
// uniqueness rule and membership as it loads it.
type (
	dataFile struct {
		Version     int         `json:"version"`
		NextUserID  int64       `json:"next_user_id"`
		NextGroupID int64       `json:"next_group_id"`
		Users       []fileUser  `json:"users"`
		Groups      []fileGroup `json:"groups"`
	}
	fileUser struct {
		ID        int64      `json:"id"`
		Fields    userFields `json:"fields"`
		CreatedAt time.Time  `json:"created_at"`
		UpdatedAt time.Time  `json:"updated_at"`
	}
	userFields struct {
		Username   string `json:"username"`
		Email      string `json:"email"`
		Identifier string `json:"identifier"`
		FirstName  string `json:"first_name"`
		LastName   string `json:"last_name"`
		ExternalID string `json:"external_id"`
		Status     string `json:"status"`
		Role       string `json:"role"`
	}
	fileGroup struct {
		ID         int64     `json:"id"`
		Name       string    `json:"name"`
		ExternalID string    `json:"external_id"`
		Members    []int64   `json:"members"`
		CreatedAt  time.Time `json:"created_at"`
		UpdatedAt  time.Time `json:"updated_at"`
	}
)

// seedData lays out the seeded state: load users, pool users all members
// of the big group, and patchGroups empty synchronized groups for each of
// the sidecar, floor and direct phases.
func seedData(loadUsers, poolUsers, patchGroups int) (dataFile, seeded) {
	now := time.Now().UTC().Truncate(time.Second)
	s := seeded{firstLoad: 1, nLoad: int64(loadUsers), firstPool: int64(loadUsers) + 1, nPool: int64(poolUsers), bigGroup: 1}
	d := dataFile{Version: 1, Users: make([]fileUser, 0, loadUsers+poolUsers)}
	for id := int64(1); id <= int64(loadUsers+poolUsers); id++ {
		name := loadUserName(id)
		if id >= s.firstPool {
			name = memberUserName(id)
		}
		d.Users = append(d.Users, fileUser{ID: id, CreatedAt: now, UpdatedAt: now, Fields: userFields{
			Username: name, Email: name, Identifier: name, FirstName: "Load", LastName: itoa(id),
			ExternalID: "ext-" + itoa(id), Status: "active", Role: "user",
		}})
	}
	big := fileGroup{ID: 1, Name: "load-big", ExternalID: "ext-load-big", Members: make([]int64, 0, poolUsers), CreatedAt: now, UpdatedAt: now}
	for id := s.firstPool; id < s.firstPool+s.nPool; id++ {
		big.Members = append(big.Members, id)
	}
	d.Groups = append(d.Groups, big)
	sets := []*[]int64{&s.sideGroups, &s.floorGroups, &s.directGroups}
	for i := range len(sets) * patchGroups {
		id := int64(i + 2)
		d.Groups = append(d.Groups, fileGroup{ID: id, Name: "load-patch-" + itoa(id), ExternalID: "ext-load-patch-" + itoa(id), Members: []int64{}, CreatedAt: now, UpdatedAt: now})
		set := sets[i/patchGroups]
		*set = append(*set, id)
	}
	d.NextUserID, d.NextGroupID = int64(len(d.Users))+1, int64(len(d.Groups))+1
	return d, s
}

// seedStore writes d as a data file in dir, loads it and detaches the
// store from the file: after Close, the store's writes stay in memory.
func seedStore(d dataFile, dir string) (*hectorsim.Store, error) {
	path := filepath.Join(dir, "seed.json")
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	err = json.NewEncoder(w).Encode(d)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	defer os.Remove(path)
	st, err := hectorsim.OpenStore(path)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := st.Close(); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return st, nil
}

// simServer is the simulator served over HTTP on 127.0.0.1.
type simServer struct {
	sim *hectorsim.Server
	srv *http.Server
	url string
}

func startSim(opts hectorsim.Options) (*simServer, error) {
	opts.APIKey = apiKey
	sim, err := hectorsim.New(opts)
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	s := &simServer{sim: sim, url: "http://" + l.Addr().String(), srv: &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second}}
	go func() { _ = s.srv.Serve(l) }()
	return s, nil
}

func (s *simServer) close() {
	_ = s.srv.Close()
	_ = s.sim.Close()
}
