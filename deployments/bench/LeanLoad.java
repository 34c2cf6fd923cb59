// A lean HTTP/1.1 load generator for the benches: one thread, non-blocking keep-alive connections,
// fixed request bytes per call, minimal response parsing (status, Content-Length or chunked body,
// one named header). It exists so the client takes little of the 2 cores the measured stack runs
// on: java.net.http.HttpClient cost 0.6–0.8 ms of CPU per call, about a fifth of the whole
// machine's budget per webhook call. Closed loop: every connection sends its next call as soon as
// the previous one is answered. Open loop: calls are due at a fixed rate, each goes out on the first
// idle connection (queued when none is idle), and latency counts from the time it was due, so a
// stall is never hidden (no coordinated omission).

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

final class LeanLoad {

  /** Receives each answered call. */
  interface Sink {
    void answered(int status, String header, String body, long latencyNanos);

    void failed();
  }

  private final URI url;
  private final String header;
  private final Supplier<String> body;
  private final Sink sink;
  private final Selector selector;
  private final List<Conn> idle = new ArrayList<>();
  private final byte[] head;

  /**
   * @param url where to POST
   * @param header the response header to hand to the sink (lower case), e.g. x-execution-id
   * @param body the JSON body of each call
   */
  LeanLoad(URI url, String header, Supplier<String> body, Sink sink) throws IOException {
    this.url = url;
    this.header = header.toLowerCase(Locale.ROOT);
    this.body = body;
    this.sink = sink;
    this.selector = Selector.open();
    String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
    this.head =
        ("POST " + path + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + port(url)
                + "\r\nContent-Type: application/json\r\nContent-Length: ")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /** Every connection sends its next call as soon as the previous one is answered. */
  void closedLoop(int connections, long nanos) throws IOException {
    open(connections);
    long end = System.nanoTime() + nanos;
    for (Conn c : new ArrayList<>(idle)) {
      send(c, System.nanoTime());
    }
    idle.clear();
    while (System.nanoTime() < end || busy() > 0) {
      selector.select(5);
      for (Conn c : ready()) {
        if (System.nanoTime() < end) {
          send(c, System.nanoTime());
        } else {
          idle.add(c);
        }
      }
      if (System.nanoTime() > end + 60_000_000_000L) {
        break; // answers more than a minute late: give up on them
      }
    }
    close();
  }

  /** {@code rate} calls a second for {@code seconds}, on up to {@code connections} connections. */
  void openLoop(int connections, int rate, int seconds) throws IOException {
    open(connections);
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    ArrayDeque<Long> queued = new ArrayDeque<>();
    long due = 0;
    long deadline = start + (seconds + 60L) * 1_000_000_000L;
    while ((due < total || !queued.isEmpty() || busy() > 0) && System.nanoTime() < deadline) {
      long now = System.nanoTime();
      long dueNow = Math.min(total, (now - start) * rate / 1_000_000_000L + 1);
      for (; due < dueNow; due++) {
        queued.add(start + due * 1_000_000_000L / rate);
      }
      while (!queued.isEmpty() && !idle.isEmpty()) {
        send(idle.remove(idle.size() - 1), queued.poll());
      }
      selector.select(1);
      idle.addAll(ready());
      while (!queued.isEmpty() && !idle.isEmpty()) {
        send(idle.remove(idle.size() - 1), queued.poll());
      }
    }
    for (int i = 0; i < queued.size() + busy(); i++) {
      sink.failed();
    }
    close();
  }

  private final class Conn {
    final SocketChannel channel;
    ByteBuffer out;
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    long dueAt;
    boolean busy;

    Conn(SocketChannel channel) {
      this.channel = channel;
    }
  }

  private void open(int connections) throws IOException {
    for (int i = 0; i < connections; i++) {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress(url.getHost(), port(url)));
      ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      ch.configureBlocking(false);
      Conn c = new Conn(ch);
      ch.register(selector, SelectionKey.OP_READ, c);
      idle.add(c);
    }
  }

  private int busy() {
    int n = 0;
    for (SelectionKey k : selector.keys()) {
      if (((Conn) k.attachment()).busy) {
        n++;
      }
    }
    return n;
  }

  private void send(Conn c, long dueAt) throws IOException {
    byte[] json = body.get().getBytes(StandardCharsets.UTF_8);
    byte[] length = (json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(head.length + length.length + json.length);
    out.put(head).put(length).put(json).flip();
    c.out = out;
    c.dueAt = dueAt;
    c.busy = true;
    c.channel.write(out);
    if (out.hasRemaining()) {
      c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }
  }

  /** The connections whose answer is complete now. */
  private List<Conn> ready() throws IOException {
    List<Conn> done = new ArrayList<>();
    var it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey key = it.next();
      it.remove();
      Conn c = (Conn) key.attachment();
      if (key.isValid() && key.isWritable() && c.out != null) {
        c.channel.write(c.out);
        if (!c.out.hasRemaining()) {
          key.interestOps(SelectionKey.OP_READ);
        }
      }
      if (key.isValid() && key.isReadable()) {
        if (!c.in.hasRemaining()) {
          c.in = ByteBuffer.allocate(c.in.capacity() * 2).put(c.in.flip());
        }
        int n = c.channel.read(c.in);
        if (n < 0) {
          throw new IOException("the server closed a connection");
        }
        if (c.busy && parse(c)) {
          c.busy = false;
          done.add(c);
        }
      }
    }
    return done;
  }

  /** Whether {@code c.in} holds a whole answer; if so, hands it to the sink and clears it. */
  private boolean parse(Conn c) {
    byte[] data = c.in.array();
    int len = c.in.position();
    int end = indexOf(data, len, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
    if (end < 0) {
      return false;
    }
    String head = new String(data, 0, end, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    int status = Integer.parseInt(lines[0].substring(9, 12));
    int contentLength = -1;
    boolean chunked = false;
    String wanted = null;
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = lines[i].substring(colon + 1).trim();
      if (name.equals("content-length")) {
        contentLength = Integer.parseInt(value);
      } else if (name.equals("transfer-encoding") && value.contains("chunked")) {
        chunked = true;
      } else if (name.equals(header)) {
        wanted = value;
      }
    }
    int bodyStart = end + 4;
    String text;
    int consumed;
    if (chunked) {
      StringBuilder sb = new StringBuilder();
      int p = bodyStart;
      while (true) {
        int lineEnd = indexOf(data, len, "\r\n".getBytes(StandardCharsets.US_ASCII), p);
        if (lineEnd < 0) {
          return false;
        }
        int size = Integer.parseInt(new String(data, p, lineEnd - p, StandardCharsets.US_ASCII).trim(), 16);
        if (lineEnd + 2 + size + 2 > len) {
          return false;
        }
        sb.append(new String(data, lineEnd + 2, size, StandardCharsets.UTF_8));
        p = lineEnd + 2 + size + 2;
        if (size == 0) {
          break;
        }
      }
      text = sb.toString();
      consumed = p;
    } else {
      int bodyLength = Math.max(0, contentLength);
      if (len < bodyStart + bodyLength) {
        return false;
      }
      text = new String(data, bodyStart, bodyLength, StandardCharsets.UTF_8);
      consumed = bodyStart + bodyLength;
    }
    sink.answered(status, wanted, text, System.nanoTime() - c.dueAt);
    ByteBuffer rest = ByteBuffer.allocate(c.in.capacity());
    rest.put(data, consumed, len - consumed);
    c.in = rest;
    return true;
  }

  private static int indexOf(byte[] data, int len, byte[] needle, int from) {
    outer:
    for (int i = from; i <= len - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private void close() throws IOException {
    for (SelectionKey k : selector.keys()) {
      k.channel().close();
    }
    selector.close();
  }

  private static int port(URI url) {
    return url.getPort() > 0 ? url.getPort() : 80;
  }
}
