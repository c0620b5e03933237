"""Work in two processes: loading, locating quotes and rendering each share their pieces of work with a
forked second process, when that pays for itself, through `in_two_processes`."""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import threading
import traceback

SECOND_PROCESS_FROM = {  # below these amounts of work, starting a second process costs more than it saves
    "files": 2000,  # content files read
    "quotes": 5000,  # citations located in their sources
    "pages": 400,  # pages rendered
}


def second_process_pays(amount: int, unit: str) -> bool:
    """Return whether `amount` of work, counted in `unit` (a key of SECOND_PROCESS_FROM), is worth a
    forked second process.

    Only from the unit's threshold on, with two cores or more, and no other thread running: forking a
    threaded process (the preview server) is unsafe, as the child may inherit a lock some thread held.
    """
    return amount >= SECOND_PROCESS_FROM[unit] and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def in_two_processes(pieces: int, here, there, receive, meanwhile=None, fork: bool = True) -> None:
    """Do the pieces of work numbered 0 to `pieces` - 1, each once, in this process and a second one.

    The second process is forked, so it starts at once with everything this one holds, without copying
    it. Each process takes the next piece not yet taken, until none is left: this one does `here(i)`,
    the other `there(i)`, whose result (plain values: it is pickled) is handed to `receive(i, result)`
    here, as it arrives, between the pieces done here and after them. Taking turns, the two finish
    within a piece of each other however the work is shared and however this machine's speed varies (a
    fixed share left one of them idle for tenths of a second). `meanwhile()`, if given, runs here first,
    while the other process starts on the pieces.

    Without `fork` (see `second_process_pays`) this process does it all: `meanwhile()`, then `here(i)`
    for every piece in turn. An error in either process is raised here, and neither waits for the other:
    the second process stops once this one stops reading what it sends.
    """
    if not fork:
        if meanwhile is not None:
            meanwhile()
        for at in range(pieces):
            here(at)
        return
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many pieces either process has taken
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_second_process, args=(pieces, there, taken, sender, receiver), daemon=True)
    child.start()
    sender.close()  # this process only reads: once the other has closed its end, reading finds the end
    try:
        if meanwhile is not None:
            meanwhile()
        sending = True
        while (at := take(taken)) < pieces:
            here(at)
            while sending and receiver.poll():  # what the other sent meanwhile, so that its pipe drains
                sending = _receive(receiver, receive, child)
        while sending:
            sending = _receive(receiver, receive, child)
    finally:
        receiver.close()  # if this process stopped reading, the other's sending fails and it ends
        child.join()


def take(taken) -> int:
    """Return the next number of `taken`, a counter shared by the forked processes (a
    multiprocessing.Value), and count it taken: each piece of work numbered so is done by one of them."""
    with taken.get_lock():
        at = taken.value
        taken.value = at + 1
    return at


def _receive(receiver, receive, child) -> bool:
    """Hand the next result the second process sent to `receive`; return False once it has sent them
    all, and raise the error it sent instead, if any."""
    try:
        message = pickle.loads(receiver.recv_bytes())
    except EOFError:  # it ended without saying it was done: killed, or out of memory
        child.join()
        raise RuntimeError(f"the second process stopped unexpectedly (exit code {child.exitcode})") from None
    if isinstance(message, BaseException):
        raise message
    if message is None:
        return False
    receive(*message)
    return True


def _second_process(pieces: int, there, taken, sender, receiver) -> None:
    """Do pieces not yet taken with `there` and send each result back, then None (in the second process).

    A thread sends each result as it is made, so that the work goes on while the first process is busy
    with its own pieces (a pipe holds only a little); an error is sent as the last message.
    """
    receiver.close()  # the reading end, inherited: with it open here, a send would wait for ever once
    outbox: queue.SimpleQueue = queue.SimpleQueue()  # the first process stopped reading
    stopped = threading.Event()

    def send() -> None:
        try:
            while (data := outbox.get()) is not None:
                sender.send_bytes(data)
        except OSError:  # the first process stopped reading: it raised, and will not wait for more
            stopped.set()

    thread = threading.Thread(target=send)
    thread.start()
    try:
        while not stopped.is_set() and (at := take(taken)) < pieces:
            outbox.put(pickle.dumps((at, there(at)), protocol=pickle.HIGHEST_PROTOCOL))
        outbox.put(pickle.dumps(None))
    except BaseException as err:  # noqa: BLE001 - handed to the first process, which raises it
        outbox.put(_pickled_error(err))
    finally:
        outbox.put(None)
        thread.join()
        sender.close()


def _pickled_error(err: BaseException) -> bytes:
    """Return `err` pickled, with where it was raised as a note; as a RuntimeError saying what it was
    when it does not survive pickling (some exceptions cannot be made again from their arguments)."""
    where = "in the second process:\n" + "".join(traceback.format_exception(err))
    try:
        err.add_note(where)
        data = pickle.dumps(err, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)
        return data
    except Exception:  # noqa: BLE001 - any failure to pickle or unpickle: said in plain text instead
        return pickle.dumps(RuntimeError(f"{type(err).__name__}: {err}\n{where}"))
