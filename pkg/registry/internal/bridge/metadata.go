package bridge

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/kitexdubbo/kitexdubbo/pkg/dubbo"
	"github.com/kitexdubbo/kitexdubbo/pkg/registry"
)

// MetadataCache holds instances' metadata by application and revision, as a
// Dubbo consumer caches it: equal revisions have equal metadata.
type MetadataCache struct {
	fetchTimeout time.Duration
	remote       RemoteMetadata

	mu sync.Mutex
	m  map[string]*registry.MetadataInfo
}

// RemoteMetadata reads the MetadataInfo JSON of app's revision from where a
// provider with metadata-type=remote put it (its metadata report).
type RemoteMetadata func(app, revision string) ([]byte, error)

// maxCachedMetadata bounds the cache; past it, an arbitrary entry goes.
const maxCachedMetadata = 256

// maxFetches bounds the metadata fetches one round makes at once.
const maxFetches = 8

// NewMetadataCache is an empty cache that fetches metadata from an
// instance's MetadataService within fetchTimeout, or through remote for an
// instance whose metadata is stored remotely.
func NewMetadataCache(fetchTimeout time.Duration, remote RemoteMetadata) *MetadataCache {
	return &MetadataCache{fetchTimeout: fetchTimeout, remote: remote, m: map[string]*registry.MetadataInfo{}}
}

// Fetched is the metadata of one instance, or why there is none.
type Fetched struct {
	Info *registry.MetadataInfo
	Err  error
}

// GetAll is Get for each instance, fetching up to maxFetches at once (and
// each application's revision once): a round over many unreachable
// instances takes about one fetch timeout, not one per instance.
func (mc *MetadataCache) GetAll(ins []*registry.Instance) []Fetched {
	out := make([]Fetched, len(ins))
	byKey := map[string][]int{}
	for i, in := range ins {
		k := in.Name + "\x00" + in.Revision()
		byKey[k] = append(byKey[k], i)
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, maxFetches)
	for _, idx := range byKey {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			// Any instance of that app and revision serves the same metadata;
			// the first that answers gives it.
			var f Fetched
			for _, i := range idx {
				if f.Info, f.Err = mc.Get(ins[i]); f.Err == nil {
					break
				}
			}
			for _, i := range idx {
				out[i] = f
			}
		}()
	}
	wg.Wait()
	return out
}

// Get is in's metadata: from the cache, else from its MetadataService (or
// the remote store, for storage-type=remote).
func (mc *MetadataCache) Get(in *registry.Instance) (*registry.MetadataInfo, error) {
	rev := in.Revision()
	if rev == "" || rev == registry.EmptyRevision {
		return nil, errors.New("no metadata revision")
	}
	key := in.Name + "\x00" + rev
	mc.mu.Lock()
	md := mc.m[key]
	mc.mu.Unlock()
	if md != nil {
		return md, nil
	}
	var err error
	if in.StorageType() == registry.StorageRemote {
		if mc.remote == nil {
			return nil, errors.New("metadata stored remotely, and no store to read it from")
		}
		var data []byte
		data, err = mc.remote(in.Name, rev)
		if err == nil {
			md, err = registry.ParseMetadataJSON(data)
		}
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), mc.fetchTimeout)
		md, err = registry.FetchMetadata(ctx, in)
		cancel()
	}
	if err != nil {
		return nil, err
	}
	mc.mu.Lock()
	if len(mc.m) >= maxCachedMetadata {
		for k := range mc.m {
			delete(mc.m, k)
			break
		}
	}
	mc.m[key] = md
	mc.mu.Unlock()
	return md, nil
}

// MetadataServer is what a registry's codecs answer to Dubbo's
// MetadataService: the metadata of every registration of an application
// through that codec, by revision. Servers sharing a codec and a registry
// register the same application with different metadata (their ports
// differ), and each instance must be answered for its own revision.
type MetadataServer struct {
	mu sync.RWMutex
	m  map[*dubbo.DubboCodec]map[string][]*registry.MetadataInfo // codec -> app -> registrations
}

// Serve makes c answer md (for md.App and md.Revision) besides what it
// answers already.
func (s *MetadataServer) Serve(c *dubbo.DubboCodec, md *registry.MetadataInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[*dubbo.DubboCodec]map[string][]*registry.MetadataInfo{}
	}
	apps := s.m[c]
	if apps == nil {
		apps = map[string][]*registry.MetadataInfo{}
		s.m[c] = apps
	}
	first := len(apps[md.App]) == 0
	apps[md.App] = append(apps[md.App], md)
	if first {
		app := md.App
		c.ServeMetadata(app, func(revision string) any { return s.lookup(c, app, revision) })
	}
}

// Withdraw undoes one Serve; c stops answering for md.App with its last
// registration.
func (s *MetadataServer) Withdraw(c *dubbo.DubboCodec, md *registry.MetadataInfo) {
	s.mu.Lock()
	defer s.mu.Unlock()
	apps := s.m[c]
	list := apps[md.App]
	if i := slices.Index(list, md); i >= 0 {
		list = slices.Delete(list, i, i+1)
	}
	if len(list) > 0 {
		apps[md.App] = list
		return
	}
	delete(apps, md.App)
	if len(apps) == 0 {
		delete(s.m, c)
	}
	c.ServeMetadata(md.App, nil)
}

// lookup is the metadata of app's revision, as Dubbo-Java answers: another
// revision is no answer (nil); no revision asked is the latest.
func (s *MetadataServer) lookup(c *dubbo.DubboCodec, app, revision string) any {
	s.mu.RLock()
	defer s.mu.RUnlock()
	list := s.m[c][app]
	for i := len(list) - 1; i >= 0; i-- {
		if revision == "" || list[i].Revision == revision {
			return list[i]
		}
	}
	return nil
}
