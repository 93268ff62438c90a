// placeholder for apps/posclient-front/modules/ApolloProvider.tsx in the repository
