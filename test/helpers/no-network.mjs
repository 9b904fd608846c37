// Loaded with `node --import` (through NODE_OPTIONS, so every Node process of a command gets it): any
// TCP connection to a host other than this machine fails at once, as on a machine with no network.
// Unix sockets and loopback stay open (Next.js build workers talk over them).
import net from 'node:net';

const loopback = (host) => !host || host === 'localhost' || /^127\./.test(host) || host === '::1' || /^::ffff:127\./.test(host);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = args[0];
  const opts = Array.isArray(first) ? first[0] : typeof first === 'object' && first !== null ? first : { port: first, host: typeof args[1] === 'string' ? args[1] : undefined };
  if (opts && opts.path === undefined && !loopback(opts.host)) {
    const error = Object.assign(new Error(`connect ECONNREFUSED ${opts.host}:${opts.port} (outside traffic refused by the test)`), { code: 'ECONNREFUSED' });
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return connect.apply(this, args);
};
