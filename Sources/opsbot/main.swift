import OpsbotCore
print("opsbot")
