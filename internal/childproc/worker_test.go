package childproc

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

func TestWorkerExchangesJSONAndFinishesWhenItsInputCloses(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), workerEnv+"=1")
	w, err := StartWorker(cmd)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 21} {
		if err := w.Send(n); err != nil {
			t.Fatal(err)
		}
		var got int
		if err := w.Receive(&got); err != nil || got != 2*n {
			t.Fatalf("Receive = %d, %v; want %d", got, err, 2*n)
		}
	}
	if err := w.CloseInput(); err != nil {
		t.Fatal(err)
	}
	var report struct{ Count int }
	if err := w.Receive(&report); err != nil || report.Count != 2 {
		t.Errorf("report %+v, %v; want a count of 2", report, err)
	}
	if err := w.Wait(10 * time.Second); err != nil {
		t.Errorf("Wait = %v, want a clean exit", err)
	}
}

func TestWorkerWaitKillsAWorkerThatDoesNotFinish(t *testing.T) {
	w, err := StartWorker(exec.Command("sleep", "60"))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.CloseInput(); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	err = w.Wait(200 * time.Millisecond)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Errorf("Wait = %v, want killed by SIGKILL", err)
	}
	if took := time.Since(begin); took > 10*time.Second {
		t.Errorf("Wait took %v", took)
	}
	if err := w.Receive(new(int)); err == nil {
		t.Error("Receive from a killed worker returned no error")
	}
}
