/** Starting and stopping a stand-in's HTTP server on loopback (shared by every stand-in). */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a free loopback port; resolves to the server's origin, e.g. `http://127.0.0.1:41234`. */
export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

/** Closes the server, cutting every open connection (including requests a fault left hanging). */
export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
