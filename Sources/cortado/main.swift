import CortadoBench
print("cortado")
