/// Docker Engine API answers recorded from the live `dockerd` 20.10 (API 1.41) of the tests
/// (TestDocker, LiveDockerTests), trimmed to the fields opsbot reads. Compose is simulated by the
/// `com.docker.compose.*` labels; web, worker and a hand-started copy run from one image.
public enum RecordedDocker {
    /// `GET /containers/json?all=1`: newest first; `Command` is the joined command line.
    public static let containers = #"""
        [
         {
          "Id": "13d2c3d8f7607fc7def4ecfc1c89de6e01e988af1e96a3019c1c734cc1ba45a5",
          "Names": [
           "/debug-copy"
          ],
          "Image": "app-bot:latest",
          "Command": "sh -c 'exec sleep 100000' 'python -m bot.worker'",
          "Created": 1795451315,
          "State": "running",
          "Status": "Up 2 seconds",
          "Labels": {}
         },
         {
          "Id": "8df5c2ceb7f7aa0510a4dc8dc555002fa21d48a471c4cd8f624a47f6d6adc482",
          "Names": [
           "/app-web-1"
          ],
          "Image": "app-bot:latest",
          "Command": "sh -c 'exec sleep 100000' 'gunicorn app:web'",
          "Created": 1795451315,
          "State": "running",
          "Status": "Up 2 seconds",
          "Labels": {
           "com.docker.compose.project": "app",
           "com.docker.compose.service": "web"
          }
         },
         {
          "Id": "c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1",
          "Names": [
           "/app-worker-1"
          ],
          "Image": "app-bot:latest",
          "Command": "sh -c 'touch /tmp/ok; echo INFO - update handled; echo ERROR - Conflict: terminated by other getUpdates request >&2; exec sleep 100000' 'python -m bot.worker'",
          "Created": 1795451315,
          "State": "running",
          "Status": "Up 3 seconds (healthy)",
          "Labels": {
           "com.docker.compose.project": "app",
           "com.docker.compose.service": "worker"
          }
         }
        ]
        """#

    /// `GET /containers/app-worker-1/json` of a running, healthy container.
    public static let workerDetail = #"""
        {"Id": "c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1", "Name": "/app-worker-1", "RestartCount": 0, "State": {"Status": "running", "Running": true, "Paused": false, "Restarting": false, "OOMKilled": false, "Dead": false, "Pid": 10499, "ExitCode": 0, "Error": "", "StartedAt": "2026-11-23T16:28:35.981688882Z", "FinishedAt": "0001-01-01T00:00:00Z", "Health": {"Status": "healthy", "FailingStreak": 0}}, "Config": {"Image": "app-bot:latest", "Env": ["TELEGRAM_BOT_TOKEN=123456789:\#("AA")Hxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "PORT=8080"], "Tty": false}, "HostConfig": {"RestartPolicy": {"Name": "no", "MaximumRetryCount": 0}}}
        """#

    /// `GET /events?…&filters={"container":[…],"type":["container"],"event":["kill","die"]}` after
    /// `POST /containers/app-worker-1/restart?t=1` when its PID 1 (`sleep`) ignored SIGTERM.
    public static let restartEventsKilled = #"""
        {"status":"kill","id":"c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1","from":"app-bot:latest","Type":"container","Action":"kill","Actor":{"ID":"c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1","Attributes":{"com.docker.compose.project":"app","com.docker.compose.service":"worker","image":"app-bot:latest","name":"app-worker-1","signal":"15"}},"scope":"local","time":1795451323,"timeNano":1795451323295158386}
        {"status":"kill","id":"c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1","from":"app-bot:latest","Type":"container","Action":"kill","Actor":{"ID":"c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1","Attributes":{"com.docker.compose.project":"app","com.docker.compose.service":"worker","image":"app-bot:latest","name":"app-worker-1","signal":"9"}},"scope":"local","time":1795451324,"timeNano":1795451324336138470}
        {"status":"die","id":"c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1","from":"app-bot:latest","Type":"container","Action":"die","Actor":{"ID":"c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1","Attributes":{"com.docker.compose.project":"app","com.docker.compose.service":"worker","exitCode":"137","image":"app-bot:latest","name":"app-worker-1"}},"scope":"local","time":1795451324,"timeNano":1795451324385319873}
        """#

    /// `GET /system/df` with one exited container that wrote 512 KiB (`SizeRw` is omitted when 0).
    public static let systemDF = #"""
        {"LayersSize": 1984132, "Images": [{"Id": "sha256:ad9033068c2f9aa7bcd6e1c6b6cfcbca86bce261e14e65a484754b4a9595ca05", "Size": 1984132, "SharedSize": 0, "Containers": 4}], "Containers": [{"Id": "9cb4c2df8952554dd72bfa6bf65948b11e23d69d21d9eab41469a896dc03b3ab", "Names": ["/app-migrate-1"], "SizeRw": 524288, "SizeRootFs": 2508420, "State": "exited"}, {"Id": "13d2c3d8f7607fc7def4ecfc1c89de6e01e988af1e96a3019c1c734cc1ba45a5", "Names": ["/debug-copy"], "SizeRootFs": 1984132, "State": "running"}, {"Id": "8df5c2ceb7f7aa0510a4dc8dc555002fa21d48a471c4cd8f624a47f6d6adc482", "Names": ["/app-web-1"], "SizeRootFs": 1984132, "State": "running"}, {"Id": "c8e4a23331ba2a832430b0b560dc6ac4a500730daa3432ebf62e8cf4011edbe1", "Names": ["/app-worker-1"], "SizeRootFs": 1984132, "State": "running"}], "Volumes": [], "BuildCache": null}
        """#

    /// `POST /containers/prune`, `/networks/prune`, `/images/prune?filters={"dangling":["true"]}`, `/build/prune`.
    public static let pruneContainers = #"{"ContainersDeleted":["9cb4c2df8952554dd72bfa6bf65948b11e23d69d21d9eab41469a896dc03b3ab"],"SpaceReclaimed":524288}"#
    public static let pruneNetworks = #"{"NetworksDeleted":null}"#
    public static let pruneImages = #"{"ImagesDeleted":null,"SpaceReclaimed":0}"#
    public static let pruneBuild = #"{"CachesDeleted":null,"SpaceReclaimed":0}"#
}
