import greet
print(greet.hello('svc'))
