package hub

import (
	"runtime"
	"sync"
)

// shardMin is the fewest recipients worth splitting a send over the CPUs.
const shardMin = 256

// recipients is a pooled list of the clients a frame goes to, collected
// under the dataset's lock and sent to after it is released.
type recipients struct {
	clients []*Client
	wg      sync.WaitGroup
}

var recipientPool = sync.Pool{New: func() any { return new(recipients) }}

func getRecipients() *recipients { return recipientPool.Get().(*recipients) }

// reset forgets the clients, keeping the room for as many next time.
func (r *recipients) reset() {
	clear(r.clients)
	r.clients = r.clients[:0]
}

// release resets the list and returns it to the pool.
func (r *recipients) release() {
	r.reset()
	recipientPool.Put(r)
}

// send gives frame to every recipient, spread over the CPUs when there are
// many, and returns when all have it. Each client is sent to once, so a
// client's frames keep the order of the calls that send them.
func (r *recipients) send(frame []byte) {
	n := len(r.clients)
	shards := min(runtime.GOMAXPROCS(0), senders.workers()+1)
	if n < shardMin || shards < 2 {
		sendEach(frame, r.clients)
		return
	}
	size := (n + shards - 1) / shards
	for start := size; start < n; start += size {
		job := sendJob{frame: frame, clients: r.clients[start:min(start+size, n)], wg: &r.wg}
		r.wg.Add(1)
		select {
		case senders.jobs <- job:
		default: // every sender is busy (another dataset's fan-out): do it here
			job.run()
		}
	}
	sendEach(frame, r.clients[:size])
	r.wg.Wait()
}

func sendEach(frame []byte, clients []*Client) {
	for _, c := range clients {
		c.send(frame)
	}
}

// sendJob is one shard of a fan-out.
type sendJob struct {
	frame   []byte
	clients []*Client
	wg      *sync.WaitGroup
}

func (j sendJob) run() {
	defer j.wg.Done()
	sendEach(j.frame, j.clients)
}

// runRecovered runs j on a pool goroutine: a panic in one send is reported
// and ends that shard, not the pool goroutine or the process.
func (j sendJob) runRecovered() {
	defer j.recovered()
	j.run()
}

func (j sendJob) recovered() {
	if v := recover(); v != nil {
		j.clients[0].hub.reportPanic(v) // a shard is never empty; its clients share a hub
	}
}

// senderPool is the process's fan-out goroutines, one per CPU but the one
// publishing, started on first use. They only ever take a shard when idle
// (the channel is unbuffered), so a fan-out never waits behind another.
type senderPool struct {
	once sync.Once
	n    int
	jobs chan sendJob
}

var senders senderPool

func (p *senderPool) workers() int {
	p.once.Do(func() {
		p.n = runtime.GOMAXPROCS(0) - 1
		p.jobs = make(chan sendJob)
		for range p.n {
			go func() {
				for j := range p.jobs {
					j.runRecovered()
				}
			}()
		}
	})
	return p.n
}
