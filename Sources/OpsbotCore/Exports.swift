@_exported import OpsbotSupport
