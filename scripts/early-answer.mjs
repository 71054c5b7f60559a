// A route that refuses an upload part-way (413 at the body limit) stops reading it. Two things
// would then lose the answer: the body stream's cleanup destroys the request, closing the
// socket before the 413 is written; and Node closes a connection whose request body was not
// read as soon as the answer is written, while the client is still sending, so the client's
// TCP receives a reset that discards the unread answer. Instead: until the answer is out, a
// destroy only pauses the request (flow control holds the sender back, nothing is buffered);
// after it, the connection is closed the way web servers do ("lingering close"): our side is
// shut, the rest of the upload is read and thrown away, and the socket is destroyed when the
// client hangs up or after LINGER_MS.

const LINGER_MS = 2_000;
const current = Symbol("cwm.currentRequest");

function lingerOnClose(socket) {
  if (socket[current] !== undefined) return;
  const destroySoon = socket.destroySoon;
  socket.destroySoon = function () {
    const req = this[current];
    if (!req || req.complete) return destroySoon.call(this);
    if (this.writable) this.end();
    req.resume();
    const timer = setTimeout(() => this.destroy(), LINGER_MS);
    timer.unref?.();
    this.once("close", () => clearTimeout(timer));
  };
}

export function answerBeforeClosing(req, res) {
  const socket = req.socket;
  if (!socket) return;
  lingerOnClose(socket);
  socket[current] = req;
  const destroy = req.destroy;
  req.destroy = function (err) {
    if (req.complete || res.destroyed) return destroy.call(this, err);
    // Not read to the end: keep the socket for the answer; the close above discards the rest.
    if (res.writableFinished) req.resume();
    else req.pause();
    return this;
  };
}
