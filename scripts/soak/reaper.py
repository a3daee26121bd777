"""Reaps the processes re-parented to the driver, which is their child subreaper.

Why it exists: as a subreaper the driver inherits every process whose parent died (a program's
grandchild, once the program is gone), so that one escaping wsgate's kill sequence is seen
instead of vanishing under init. The duty comes with it: such a process, once wsgate killed
it, is a zombie of ours until we wait for it, and a zombie still counts as a member of its
process group, so wsgate would wait for the group to be empty for as long as we do not reap.
This thread reaps them promptly, as init would, and counts them; it never waits for the wsgate
instances themselves, which belong to their Popen objects.
"""
import os
import threading


class OrphanReaper:
    def __init__(self, own_children):
        self.own_children = set(own_children)
        self.reaped = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.loop, name="reaper", daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.stopping.set()
        self.thread.join(2)
        self.reap()

    def loop(self):
        while not self.stopping.wait(0.02):
            self.reap()

    def reap(self):
        """Waits for every exited child that is not ours to Popen; stops at one that is."""
        while True:
            try:
                info = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if info is None or info.si_pid in self.own_children:
                return
            try:
                os.waitpid(info.si_pid, 0)
                self.reaped += 1
            except ChildProcessError:
                return
